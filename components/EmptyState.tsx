/** What a list shows when it has nothing yet: what this place is for and what to do next. */
export function EmptyState({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="empty-state" role="note">
      <h3>{title}</h3>
      <div>{children}</div>
    </div>
  );
}
