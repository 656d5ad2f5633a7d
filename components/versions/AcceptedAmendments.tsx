/** The amendments a version brought in (accepted since the one before it), or "None". */
export function AcceptedAmendments({ titles, label }: { titles: string[]; label?: string }) {
  if (titles.length === 0) {
    return label ? null : <span className="muted">None</span>;
  }
  return (
    <div className="versions-amendments">
      {label && <p className="versions-amendments-label">{label}:</p>}
      <ul aria-label={label ?? 'Amendments accepted'}>
        {titles.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </div>
  );
}
