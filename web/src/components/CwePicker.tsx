import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import type { ResponseBody } from '../api/types.js';

type Cwe = ResponseBody<'/api/v1/cwe', 'get'>['items'][number];

/**
 * A CWE combobox (WAI-ARIA 1.2 pattern): type an id or words, pick from the catalogue with the
 * arrow keys and Enter, or with the mouse. The value is the CWE id; free text the catalogue does
 * not know is left for the server to refuse with its own message.
 */
export function CwePicker({
  id,
  value,
  label,
  onChange,
}: {
  id: string;
  value: string;
  label: string;
  onChange: (id: string, name?: string) => void;
}) {
  const listId = useId();
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [q, setQ] = useState('');
  useEffect(() => setText(value), [value]);
  // Ask the catalogue a moment after typing stops.
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 200);
    return () => clearTimeout(t);
  }, [text]);
  const results = useQuery({
    queryKey: ['cwe', q],
    queryFn: () => unwrap(api.GET('/api/v1/cwe', { params: { query: { q, limit: 12 } } })),
    enabled: open && q.length > 0,
    staleTime: 10 * 60_000,
  });
  const items = open && q ? (results.data?.items ?? []) : [];
  const pick = (c: Cwe) => {
    setText(c.id);
    setOpen(false);
    setActive(-1);
    onChange(c.id, c.name);
  };
  return (
    <div className="field combo">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 && items[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. 79 or cross-site scripting"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
          onChange(e.target.value.trim());
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, items.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open && items[active]) {
            e.preventDefault();
            pick(items[active]);
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      <div id={listId} role="listbox" aria-label="Matching CWE entries" hidden={items.length === 0}>
        {items.map((c, i) => (
          <div
            key={c.id}
            tabIndex={-1}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(c);
            }}
          >
            <strong>{c.id}</strong> {c.name}
          </div>
        ))}
      </div>
    </div>
  );
}
