// Search and the lane / type / stage / plan filters; the server applies them to the whole queue.
// The values offered are the server's: workflow types (with their labels) from the lookup
// (list_workflow_types), stages and plans from the API's enums; none is listed here.
// On a phone the four selects (and the page's own options, passed as children) took 250 px
// above the first row: there they wait behind a "Filters" button that says how many are on,
// the search staying in view. Wider, they stand in the toolbar as before.
import { useId, useState, type ReactNode } from 'react';
import { AccountPlan, QueueLane, RenewalStage } from '../../../../functions-shared/api/index.ts';
import { humanize } from '../../lib/format.ts';
import { NARROW_SCREEN } from '../../lib/mediaQuery.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { useWorkflowTypes } from '../actions/lookups.ts';
import { activeFilterCount, type QueueFilter } from './filterQueue.ts';
import { LANE_LABEL } from './lanes.ts';

interface Props {
  filter: QueueFilter;
  onChange: (filter: QueueFilter) => void;
  searchRef?: React.Ref<HTMLInputElement>;
  /** The page's own options (Group by customer, Show snoozed), behind the button with the filters on a phone. */
  children?: ReactNode;
  /** How many of those options are on, counted on the button with the filters. */
  optionsOn?: number;
}

export function QueueFilters({ filter, onChange, searchRef, children, optionsOn = 0 }: Props) {
  const types = useWorkflowTypes().data ?? [];
  const narrow = useMediaQuery(NARROW_SCREEN);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const on = activeFilterCount(filter) + optionsOn;
  const set = (key: keyof QueueFilter) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    onChange({ ...filter, [key]: event.target.value });
  return (
    <div className="toolbar" role="search">
      <label className="field field-inline field-grow">
        <span className="visually-hidden">Search the queue</span>
        <input ref={searchRef} type="search" placeholder="Search name or domain" value={filter.search} onChange={set('search')} />
      </label>
      {narrow ? (
        <button type="button" className="btn filters-toggle" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
          {/* One box for the count: a button lays out its parts with a gap, which put one inside "(1 )". */}
          Filters{on > 0 ? <> <span>({on}<span className="visually-hidden"> on</span>)</span></> : null}
        </button>
      ) : null}
      <div id={panelId} className="toolbar-filters" hidden={narrow && !open}>
        <FilterSelect label="Lane" value={filter.lane} onChange={set('lane')}
          options={QueueLane.options.map((lane) => ({ value: lane, label: LANE_LABEL[lane] }))} />
        <FilterSelect label="Type" value={filter.type} onChange={set('type')}
          options={[
            ...types.map((type) => ({ value: type.key, label: type.label })),
            // A type chosen before the lookup arrived (or since removed) is still shown as chosen.
            ...(filter.type && !types.some((type) => type.key === filter.type) ? [{ value: filter.type, label: humanize(filter.type) }] : []),
          ]} />
        <FilterSelect label="Stage" value={filter.stage} onChange={set('stage')}
          options={RenewalStage.options.map((stage) => ({ value: stage, label: stage }))} />
        <FilterSelect label="Plan" value={filter.plan} onChange={set('plan')}
          options={AccountPlan.options.map((plan) => ({ value: plan, label: humanize(plan) }))} />
        {children}
      </div>
    </div>
  );
}

/** One filter: its label beside (on a phone over) a select whose first choice, All, sets none. */
function FilterSelect({ label, value, onChange, options }: {
  label: string;
  value: string;
  onChange: (event: React.ChangeEvent<HTMLSelectElement>) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <label className="field field-inline">
      <span>{label}</span>
      <select value={value} onChange={onChange}>
        <option value="">All</option>
        {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </select>
    </label>
  );
}
