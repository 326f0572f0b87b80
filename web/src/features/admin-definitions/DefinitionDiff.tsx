// The changes between two versions, listed in words.
import type { Change } from './definitionDiff.ts';

const KIND_WORDS: Record<Change['kind'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed', moved: 'Moved' };

export function DefinitionDiff({ changes, empty }: { changes: Change[]; empty: string }) {
  if (changes.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="definition-diff">
      {changes.map((change, index) => (
        <li key={index} className={`diff-${change.kind}`}>
          <span className="badge">{KIND_WORDS[change.kind]}</span> {change.where}
          {change.field ? <> — {change.field}</> : null}
          {change.before !== undefined || change.after !== undefined ? (
            <div className="diff-values">
              {change.before !== undefined ? <del>{change.before}</del> : null}
              {change.after !== undefined ? <ins>{change.after}</ins> : null}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
