import type { Translate } from '../../i18n/index.js';
import type { ProgramDefinition } from '../../programs/index.js';

type Rule = ProgramDefinition['deadlines']['acknowledge'];

/** "5 business days" / "7 days". */
export function describeRule(t: Translate, rule: Rule): string {
  return 'businessDays' in rule
    ? t('duration.businessDays', { n: rule.businessDays })
    : t('duration.calendarDays', { n: rule.calendarDays });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
