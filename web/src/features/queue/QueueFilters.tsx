// Search and the lane / type / stage / plan filters; the server applies them to the whole queue.
// The values offered are the server's: workflow types (with their labels) from the lookup
// (list_workflow_types), stages and plans from the API's enums; none is listed here.
import { AccountPlan, QueueLane, RenewalStage } from '../../../../functions-shared/api/index.ts';
import { humanize } from '../../lib/format.ts';
import { useWorkflowTypes } from '../actions/lookups.ts';
import type { QueueFilter } from './filterQueue.ts';
import { LANE_LABEL } from './lanes.ts';

interface Props {
  filter: QueueFilter;
  onChange: (filter: QueueFilter) => void;
  searchRef?: React.Ref<HTMLInputElement>;
}

export function QueueFilters({ filter, onChange, searchRef }: Props) {
  const types = useWorkflowTypes().data ?? [];
  const set = (key: keyof QueueFilter) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    onChange({ ...filter, [key]: event.target.value });
  return (
    <div className="toolbar" role="search">
      <label className="field field-inline field-grow">
        <span className="visually-hidden">Search the queue</span>
        <input ref={searchRef} type="search" placeholder="Search name or domain" value={filter.search} onChange={set('search')} />
      </label>
      <label className="field field-inline">
        <span>Lane</span>
        <select value={filter.lane} onChange={set('lane')}>
          <option value="">All</option>
          {QueueLane.options.map((lane) => <option key={lane} value={lane}>{LANE_LABEL[lane]}</option>)}
        </select>
      </label>
      <label className="field field-inline">
        <span>Type</span>
        <select value={filter.type} onChange={set('type')}>
          <option value="">All</option>
          {types.map((type) => <option key={type.key} value={type.key}>{type.label}</option>)}
          {filter.type && !types.some((type) => type.key === filter.type) ? <option value={filter.type}>{humanize(filter.type)}</option> : null}
        </select>
      </label>
      <label className="field field-inline">
        <span>Stage</span>
        <select value={filter.stage} onChange={set('stage')}>
          <option value="">All</option>
          {RenewalStage.options.map((stage) => <option key={stage} value={stage}>{stage}</option>)}
        </select>
      </label>
      <label className="field field-inline">
        <span>Plan</span>
        <select value={filter.plan} onChange={set('plan')}>
          <option value="">All</option>
          {AccountPlan.options.map((plan) => <option key={plan} value={plan}>{humanize(plan)}</option>)}
        </select>
      </label>
    </div>
  );
}
