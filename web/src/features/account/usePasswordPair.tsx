// The new password and its repeat, as both password forms ask for them (Preferences → Account,
// and the page an invitation or reset link opens): what is wrong is said beside the field it is
// about, which takes the focus (hooks/useFieldProblem.ts, as every form of the app), in the
// app's words rather than the browser's "Please fill out this field"; changing that field
// clears it, and the next submit checks again.
import { useRef, useState } from 'react';
import { FormField } from '../../components/FieldError.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { passwordFieldProblem } from './password.ts';

export function usePasswordPair({ repeatLabel, autoFocus = false }: { repeatLabel: string; autoFocus?: boolean }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const problem = useFieldProblem<'password' | 'confirm'>();
  const passwordBox = useRef<HTMLInputElement>(null);
  const confirmBox = useRef<HTMLInputElement>(null);

  /** Says a problem beside its field and returns false; true when the pair may be sent. */
  function check(): boolean {
    const found = passwordFieldProblem(password, confirm);
    if (!found) return true;
    problem.show(found.field, found.message, found.field === 'password' ? passwordBox.current : confirmBox.current);
    return false;
  }

  const fields = (
    <>
      <FormField label="New password" error={problem.of('password')}>
        {(control) => <input ref={passwordBox} {...control} type="password" name="new-password" autoComplete="new-password" autoFocus={autoFocus}
          value={password} onChange={(event) => { setPassword(event.target.value); problem.changed('password'); }} />}
      </FormField>
      <FormField label={repeatLabel} error={problem.of('confirm')}>
        {(control) => <input ref={confirmBox} {...control} type="password" name="confirm-password" autoComplete="new-password"
          value={confirm} onChange={(event) => { setConfirm(event.target.value); problem.changed('confirm'); }} />}
      </FormField>
    </>
  );
  return { password, confirm, fields, check, reset: () => { setPassword(''); setConfirm(''); } };
}
