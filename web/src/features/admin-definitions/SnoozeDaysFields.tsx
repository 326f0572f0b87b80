// The three snooze limits (fewest, default, most days), the same on Settings and Actions,
// each with its own problem under it and the problem of the three together (their order)
// under the row, where the fields it concerns are.
import { useId } from 'react';
import { FieldError, FormField } from '../../components/FieldError.tsx';

export type SnoozeDayKey = 'min_days' | 'default_days' | 'max_days';
const LABELS: [SnoozeDayKey, string][] = [['min_days', 'Fewest days'], ['default_days', 'Default days'], ['max_days', 'Most days']];

export function SnoozeDaysFields({ values, errors, onChange }: {
  values: Record<SnoozeDayKey, string>;
  errors: Partial<Record<SnoozeDayKey | 'together', string>>;
  onChange: (key: SnoozeDayKey, text: string) => void;
}) {
  const togetherId = `${useId()}-snooze-days`;
  return (
    <>
      <div className="field-row">
        {LABELS.map(([key, label]) => (
          <FormField key={key} label={label} error={errors[key]} sectionError={[togetherId, errors.together]}>
            {(control) => <input {...control} type="number" min={1} max={365} value={values[key]} onChange={(event) => onChange(key, event.target.value)} />}
          </FormField>
        ))}
      </div>
      <FieldError id={togetherId} message={errors.together} />
    </>
  );
}
