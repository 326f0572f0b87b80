// The three snooze limits (fewest, default, most days), the same on Settings and Actions,
// each with its own problem under it and the problem of the three together (their order)
// under the row, where the fields it concerns are; only those it concerns are marked (a
// default above the most days marks Default and Most, not Fewest), all three when the
// problem names none of them (the server's refusal of the three as a whole).
import { useId } from 'react';
import { FieldError, FormField } from '../../components/FieldError.tsx';
import { snoozeDaysAtFault, type SnoozeDayKey } from './snoozeLimits.ts';
import { SNOOZE_DAY_LABELS } from './settingWords.ts';

const LABELS = Object.entries(SNOOZE_DAY_LABELS) as [SnoozeDayKey, string][];

export function SnoozeDaysFields({ values, errors, onChange }: {
  values: Record<SnoozeDayKey, string>;
  errors: Partial<Record<SnoozeDayKey | 'together', string>>;
  onChange: (key: SnoozeDayKey, text: string) => void;
}) {
  const togetherId = `${useId()}-snooze-days`;
  const atFault = snoozeDaysAtFault({ min_days: Number(values.min_days), default_days: Number(values.default_days), max_days: Number(values.max_days) });
  const concerns = (key: SnoozeDayKey) => atFault.length === 0 || atFault.includes(key);
  return (
    <>
      <div className="field-row">
        {LABELS.map(([key, label]) => (
          <FormField key={key} label={label} error={errors[key]} sectionError={[togetherId, concerns(key) ? errors.together : null]}>
            {(control) => <input {...control} type="number" min={1} max={365} value={values[key]} onChange={(event) => onChange(key, event.target.value)} />}
          </FormField>
        ))}
      </div>
      <FieldError id={togetherId} message={errors.together} />
    </>
  );
}
