import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fromZonedInput, TLP_LABELS, toZonedInput } from '../advisory.js';
import { ApiError, api, unwrap } from '../api/client.js';
import type { AdvisoryContent, Program, TlpLabel } from '../api/types.js';
import {
  FieldErrors,
  fieldId,
  MarkdownInput,
  RemoveButton,
  removeAt,
  replaceAt,
  SelectInput,
  TextInput,
} from './AdvisoryFields.js';
import { blankVulnerability, VulnerabilityEditor } from './AdvisoryVulnEditor.js';
import { ErrorMessage } from './common.js';

/**
 * The whole content of a draft revision, saved with one PUT. Optional texts left empty are left
 * out (the API reads an empty string as a bad value); scores and CWE names are the server's.
 * Vulnerabilities are added blank and removed freely here; how many an advisory needs is the
 * content schema's rule, and its message appears under the list after a save.
 */

const blank = (s: string | undefined) => (s?.trim() ? s : undefined);

function cleaned(c: AdvisoryContent, embargo: string, zone: string): AdvisoryContent {
  return {
    ...c,
    mitigations: blank(c.mitigations),
    publishNotBefore: fromZonedInput(embargo, zone),
    references: c.references.map((r) => ({ url: r.url, summary: blank(r.summary) })),
    vulnerabilities: c.vulnerabilities.map((v) => ({
      ...v,
      cve: blank(v.cve),
      affected: v.affected.map((p) => ({ ...p, fixedIn: blank(p.fixedIn) })),
      remediations: v.remediations.map((r) => ({ ...r, url: blank(r.url) })),
    })),
  };
}

export function AdvisoryEditor({
  advisory,
  number,
  initial,
  program,
}: {
  advisory: string;
  number: number;
  initial: AdvisoryContent;
  program: Program | undefined;
}) {
  const zone = program?.timeZone ?? 'UTC';
  const [content, setContent] = useState<AdvisoryContent>(initial);
  const [embargo, setEmbargo] = useState(() => toZonedInput(initial.publishNotBefore, zone));
  const [saved, setSaved] = useState(false);
  // Stable keys, so removing vulnerability 1 does not hand its editor's state to vulnerability 2.
  const [vulnKeys, setVulnKeys] = useState(() => initial.vulnerabilities.map((_, i) => i));
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/advisories/{id}/revisions/{number}', {
          params: { path: { id: advisory, number } },
          body: cleaned(content, embargo, zone),
        }),
      ),
    onMutate: () => setSaved(false),
    onSuccess: (d) => {
      qc.setQueryData(['advisory', advisory], d);
      // Show what the server kept: scores recomputed from the vectors, CWE names from the catalogue.
      const kept = d.revisions.find((r) => r.number === number)?.content;
      if (kept) {
        setContent(kept);
        setEmbargo(toZonedInput(kept.publishNotBefore, zone));
      }
      void qc.invalidateQueries({ queryKey: ['advisory', advisory, 'checks'] });
      void qc.invalidateQueries({ queryKey: ['advisories', d.program] });
      setSaved(true);
    },
  });
  const errors: Record<string, string> = {};
  if (save.error instanceof ApiError) for (const f of save.error.fields) errors[f.path] ??= f.message;
  const set = (patch: Partial<AdvisoryContent>) => {
    setSaved(false);
    setContent((c) => ({ ...c, ...patch }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // The last save's messages name fields by position; once the list shifts they would sit under
  // the wrong vulnerability, so they go until the next save.
  const addVulnerability = () => {
    save.reset();
    setVulnKeys((ks) => [...ks, Math.max(-1, ...ks) + 1]);
    set({ vulnerabilities: [...content.vulnerabilities, blankVulnerability(program)] });
  };
  const removeVulnerability = (i: number) => {
    save.reset();
    setVulnKeys((ks) => removeAt(ks, i));
    set({ vulnerabilities: removeAt(content.vulnerabilities, i) });
  };
  const listId = fieldId('vulnerabilities');
  const listError = errors.vulnerabilities;
  return (
    <FieldErrors.Provider value={errors}>
      <form className="stack" onSubmit={submit} noValidate aria-label={`Edit revision ${number}`}>
        <TextInput path="title" label="Title" value={content.title} onChange={(title) => set({ title })} />
        <MarkdownInput
          path="summary"
          label="Summary"
          value={content.summary}
          onChange={(summary) => set({ summary })}
        />
        <MarkdownInput
          path="mitigations"
          label="Mitigations"
          value={content.mitigations ?? ''}
          onChange={(mitigations) => set({ mitigations })}
        />
        <div className="grid-2">
          <SelectInput
            path="tlp"
            label="TLP label"
            value={content.tlp}
            options={TLP_LABELS.map((t) => ({ value: t as TlpLabel, label: `TLP:${t}` }))}
            onChange={(tlp) => set({ tlp })}
          />
          <TextInput
            path="publishNotBefore"
            label="Publish not before"
            type="datetime-local"
            value={embargo}
            hint={`Embargo, in the program's time zone (${zone}); empty for none.`}
            onChange={(x) => {
              setSaved(false);
              setEmbargo(x);
            }}
          />
        </div>
        {content.vulnerabilities.map((v, i) => (
          <VulnerabilityEditor
            key={vulnKeys[i] ?? `new-${i}`}
            index={i}
            v={v}
            program={program}
            onChange={(x) => set({ vulnerabilities: replaceAt(content.vulnerabilities, i, x) })}
            onRemove={() => removeVulnerability(i)}
          />
        ))}
        <div className="field">
          {content.vulnerabilities.length === 0 ? (
            <p className="muted">No vulnerability in this draft.</p>
          ) : null}
          <div className="actions">
            <button
              type="button"
              className="secondary small"
              id={listId}
              aria-describedby={listError ? `${listId}-error` : undefined}
              // A blank vulnerability starts on one of the program's products, so it waits for them.
              disabled={!program}
              onClick={addVulnerability}
            >
              Add vulnerability
            </button>
          </div>
          {listError ? (
            <p className="field-error" id={`${listId}-error`}>
              {listError}
            </p>
          ) : null}
        </div>
        <fieldset className="stack">
          <legend>References</legend>
          {content.references.length === 0 ? <p className="muted">None yet.</p> : null}
          {content.references.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: references have no identity of their own
            <div key={i} className="adv-row">
              <TextInput
                path={`references.${i}.url`}
                label={`Reference ${i + 1} URL`}
                type="url"
                value={r.url}
                onChange={(url) => set({ references: replaceAt(content.references, i, { ...r, url }) })}
              />
              <TextInput
                path={`references.${i}.summary`}
                label={`Reference ${i + 1} summary`}
                value={r.summary}
                onChange={(summary) =>
                  set({ references: replaceAt(content.references, i, { ...r, summary }) })
                }
              />
              <RemoveButton
                what={`reference ${i + 1}`}
                onClick={() => set({ references: removeAt(content.references, i) })}
              />
            </div>
          ))}
          <div className="actions">
            <button
              type="button"
              className="secondary small"
              onClick={() => set({ references: [...content.references, { url: '' }] })}
            >
              Add reference
            </button>
          </div>
        </fieldset>
        <ErrorMessage error={save.error} />
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            Save draft
          </button>
          {saved ? (
            <span className="notice" role="status">
              Saved.
            </span>
          ) : null}
        </div>
      </form>
    </FieldErrors.Provider>
  );
}
