import {
  COMMITMENT_HEADERS,
  POSITION_HEADERS,
  TRIGGER_HEADERS,
  bracketNote,
  type ExportBlock,
  type ExportInline,
  type ExportModel,
} from '@/lib/export/model';

function Inlines({ content }: { content: ExportInline[] }) {
  return content.map((i, n) =>
    i.type === 'hardBreak' ? (
      <br key={n} />
    ) : i.type === 'bracket' ? (
      <span key={n}>
        <mark className="ro-bracket">[{i.text}]</mark>{' '}
        <em className="ro-proposer">({bracketNote(i)})</em>
      </span>
    ) : (
      <span key={n} style={{ fontWeight: i.bold ? 700 : undefined }}>
        {i.italic ? <em>{i.text}</em> : i.text}
      </span>
    ),
  );
}

function Blocks({ blocks }: { blocks: ExportBlock[] }) {
  return blocks.map((b, n) => {
    switch (b.type) {
      case 'paragraph':
        return (
          <p key={n}>
            <Inlines content={b.content} />
          </p>
        );
      case 'heading':
        return (
          <h4 key={n}>
            <Inlines content={b.content} />
          </h4>
        );
      case 'list': {
        const items = b.items.map((item, i) => (
          <li key={i}>
            <Blocks blocks={item} />
          </li>
        ));
        return b.ordered ? <ol key={n}>{items}</ol> : <ul key={n}>{items}</ul>;
      }
      case 'blockquote':
        return (
          <blockquote key={n}>
            <Blocks blocks={b.blocks} />
          </blockquote>
        );
      case 'table':
        return (
          <table key={n} className="ro-table">
            <tbody>
              {b.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((c, k) =>
                    c.header ? (
                      <th key={k}>
                        <Blocks blocks={c.blocks} />
                      </th>
                    ) : (
                      <td key={k}>
                        <Blocks blocks={c.blocks} />
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        );
    }
  });
}

function Table({ label, headers, rows }: { label: string; headers: string[]; rows: string[][] }) {
  if (rows.length === 0) return null;
  return (
    <>
      <h4>{label}</h4>
      <table className="ro-table" aria-label={label}>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, k) => (
                <td key={k}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function List({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>{label}</h4>
      <ul className="ro-list" aria-label={label}>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </>
  );
}

/** A framework state shown read-only, from the same model the exports print. */
export function ReadOnlyFramework({ model }: { model: ExportModel }) {
  return (
    <div className="ro-framework">
      <p className="muted">
        {model.statusSummary}. Parties: {model.parties.join(', ') || 'none'}.
      </p>
      {model.layers.map((l) => (
        <section key={l.id} className="ro-layer" aria-label={`Layer ${l.number}: ${l.title}`}>
          <h3>
            {l.number}. {l.title}
          </h3>
          {l.marking && <p className="ro-marking">{l.marking}</p>}
          <p className="muted">
            {l.kind} · {l.status} · lead: {l.lead}
          </p>
          <Blocks blocks={l.narrative} />
          <Table label="Commitments" headers={COMMITMENT_HEADERS} rows={l.commitments} />
          <Table label="Triggers" headers={TRIGGER_HEADERS} rows={l.triggers} />
          <Table label="Positions" headers={POSITION_HEADERS} rows={l.positions} />
          <List label="Depends on" items={l.dependencies} />
          <List label="Open questions" items={l.openQuestions} />
          <List label="Risks" items={l.risks} />
        </section>
      ))}
    </div>
  );
}
