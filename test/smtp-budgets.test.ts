import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createSmtpListener, type SmtpListener } from '../src/mail-intake/index.js';
import { countTowardBudget, hourOf } from '../src/mail-intake/smtp-budget-store.js';
import { plainMessage, sendRaw } from './helpers/mail-builders.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The SMTP budgets hold across instances: two listeners over one database (as two Vigil instances
 * behind one MX would be) share each sender's and each program's hourly count.
 */

const ADDRESS = 'psirt@northwind-medical.example';
const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-08T10:15:00.000Z');

const report = (from: string, subject: string) =>
  plainMessage({ from, to: ADDRESS, subject }, `Finding ${subject}.`);

async function caseCount(v: TestVigil): Promise<number> {
  const row = await v.db.kysely
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(dialects)('SMTP budgets shared through the database (%s)', (dialect) => {
  let v: TestVigil;
  let clock = T0;
  const listeners: SmtpListener[] = [];
  const ports: number[] = [];

  /** Two listeners over one database, with their own budgets (`perSender`, `perProgram`). */
  async function twoListeners(perSender: number, perProgram: number): Promise<[number, number]> {
    for (const l of listeners.splice(0)) await l.stop();
    ports.length = 0;
    const config = loadConfig({
      VIGIL_SMTP_PER_SENDER_PER_HOUR: String(perSender),
      VIGIL_SMTP_PER_PROGRAM_PER_HOUR: String(perProgram),
    });
    for (let i = 0; i < 2; i++) {
      const l = createSmtpListener({
        processor: v.inbound,
        programs: v.services.programs,
        db: v.db.kysely,
        config: { ...v.config, smtpIn: config.smtpIn },
        now: () => clock,
        logger: { info() {}, warn() {}, error() {} },
      });
      listeners.push(l);
      ports.push(await l.start(0));
    }
    return [ports[0] as number, ports[1] as number];
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect);
  });
  afterAll(async () => {
    for (const l of listeners) await l.stop();
    await v?.destroy();
  });

  it("counts a sender's mails on both listeners against one budget, and answers 450 4.7.1 past it", async () => {
    clock = T0;
    const [a, b] = await twoListeners(2, 0);
    const from = 'flood@lab.example';
    expect((await sendRaw(a, { from, to: ADDRESS }, report(from, 's1'))).caseNumber).toMatch(/^NWM-/);
    expect((await sendRaw(b, { from, to: ADDRESS }, report(from, 's2'))).caseNumber).toMatch(/^NWM-/);
    const before = await caseCount(v);
    for (const port of [a, b]) {
      await expect(
        sendRaw(port, { from: from.toUpperCase(), to: ADDRESS }, report(from, `s3-${port}`)),
      ).rejects.toMatchObject({
        responseCode: 450,
        response: expect.stringContaining('4.7.1 Too many messages from this sender'),
      });
    }
    expect(await caseCount(v)).toBe(before);
    // Another sender is not held back by this one.
    expect(
      (await sendRaw(b, { from: 'other@lab.example', to: ADDRESS }, report('other@lab.example', 'o1')))
        .caseNumber,
    ).toMatch(/^NWM-/);
    // The sender's address is not stored, only a hash of it.
    const rows = await v.db.kysely.selectFrom('smtp_budget_counts').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('lab.example');
    // The next hour the sender may send again.
    clock = T0 + HOUR;
    expect((await sendRaw(a, { from, to: ADDRESS }, report(from, 's4'))).caseNumber).toMatch(/^NWM-/);
  });

  it("shares a program's budget between the listeners, from any sender", async () => {
    clock = T0 + 5 * HOUR;
    const [a, b] = await twoListeners(0, 3);
    for (const [i, port] of [a, b, a].entries()) {
      const from = `p${i}@lab.example`;
      expect((await sendRaw(port, { from, to: ADDRESS }, report(from, `p${i}`))).caseNumber).toMatch(/^NWM-/);
    }
    const before = await caseCount(v);
    await expect(
      sendRaw(b, { from: 'p9@lab.example', to: ADDRESS }, report('p9@lab.example', 'p9')),
    ).rejects.toMatchObject({
      responseCode: 450,
      response: expect.stringContaining('4.7.1 This program is receiving too many reports'),
    });
    expect(await caseCount(v)).toBe(before);
  });

  it('lets exactly the budget through when both listeners are sent to at once', async () => {
    clock = T0 + 10 * HOUR;
    const [a, b] = await twoListeners(0, 4);
    const before = await caseCount(v);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => {
        const from = `race${i}@lab.example`;
        return sendRaw(i % 2 === 0 ? a : b, { from, to: ADDRESS }, report(from, `race${i}`));
      }),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ responseCode: 450 });
    }
    expect(await caseCount(v)).toBe(before + 4);
  });

  it('keeps counts only for the current and the previous hour', async () => {
    clock = T0 + 20 * HOUR;
    const [a] = await twoListeners(5, 0);
    await sendRaw(a, { from: 'late@lab.example', to: ADDRESS }, report('late@lab.example', 'late'));
    const hours = new Set(
      (await v.db.kysely.selectFrom('smtp_budget_counts').select('hour').execute()).map((r) => r.hour),
    );
    expect([...hours].every((h) => h >= hourOf(clock - HOUR))).toBe(true);
    expect(hours.has(hourOf(clock))).toBe(true);
  });

  it('never counts past the limit, even asked many times at once', async () => {
    const at = T0 + 30 * HOUR;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => countTowardBudget(v.db.kysely, 'program:race', 5, at)),
    );
    expect(answers.filter(Boolean)).toHaveLength(5);
    const row = await v.db.kysely
      .selectFrom('smtp_budget_counts')
      .select('count')
      .where('budget_key', '=', 'program:race')
      .executeTakeFirstOrThrow();
    expect(Number(row.count)).toBe(5);
  });
});
