// Search and the lane / type / stage / plan filters; the server applies them to the whole queue.
import type { QueueFilter } from './filterQueue.ts';

const TYPES = ['renewal', 'strategic', 'risk', 'opportunity', 'custom'];
const STAGES = ['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor'];
const PLANS = ['expand', 'invest', 'manage', 'monitor'];
export const LANES = [['now', 'Now'], ['soon', 'Soon'], ['planned', 'Planned']] as const;

interface Props {
  filter: QueueFilter;
  onChange: (filter: QueueFilter) => void;
  searchRef?: React.Ref<HTMLInputElement>;
}

export function QueueFilters({ filter, onChange, searchRef }: Props) {
  const set = (key: keyof QueueFilter) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    onChange({ ...filter, [key]: event.target.value });
  return (
    <div className="toolbar" role="search">
      <label className="field field-inline field-grow">
        <span className="visually-hidden">Search the queue</span>
        <input ref={searchRef} type="search" placeholder="Search customers by name or domain  ( / )" value={filter.search} onChange={set('search')} />
      </label>
      <label className="field field-inline">
        <span>Lane</span>
        <select value={filter.lane} onChange={set('lane')}>
          <option value="">All</option>
          {LANES.map(([lane, label]) => <option key={lane} value={lane}>{label}</option>)}
        </select>
      </label>
      <label className="field field-inline">
        <span>Type</span>
        <select value={filter.type} onChange={set('type')}>
          <option value="">All</option>
          {TYPES.map((type) => <option key={type} value={type}>{type[0]?.toUpperCase()}{type.slice(1)}</option>)}
        </select>
      </label>
      <label className="field field-inline">
        <span>Stage</span>
        <select value={filter.stage} onChange={set('stage')}>
          <option value="">All</option>
          {STAGES.map((stage) => <option key={stage} value={stage}>{stage}</option>)}
        </select>
      </label>
      <label className="field field-inline">
        <span>Plan</span>
        <select value={filter.plan} onChange={set('plan')}>
          <option value="">All</option>
          {PLANS.map((plan) => <option key={plan} value={plan}>{plan[0]?.toUpperCase()}{plan.slice(1)}</option>)}
        </select>
      </label>
    </div>
  );
}
