import type { Addition, ReportTally, TallyMark, TallyRow } from '../../../functions/reports/ports';

/** The report's aggregates in memory, with the adapter's once-per-mark rule (for page and domain tests). */
export class MemoryReportTally implements ReportTally {
  readonly marks = new Set<string>();
  readonly rows = new Map<string, TallyRow & { org: string; serviceId: string }>();

  async addOnce(mark: TallyMark, additions: readonly Addition[]): Promise<boolean> {
    const id = `${mark.caseId}#${mark.id}`;
    if (this.marks.has(id)) return false;
    this.marks.add(id);
    for (const { key, counts } of additions) {
      const name = [key.org, key.serviceId, key.day, key.stageId, key.side].join('#');
      const row = this.rows.get(name) ?? { ...key, counts: {} };
      for (const [counter, n] of Object.entries(counts)) row.counts[counter] = (row.counts[counter] ?? 0) + n;
      this.rows.set(name, row);
    }
    return true;
  }

  async read(org: string, serviceId: string, from: string, to: string): Promise<TallyRow[]> {
    return [...this.rows.values()]
      .filter((r) => r.org === org && r.serviceId === serviceId && r.day >= from && r.day <= to)
      .sort((a, b) => `${a.day}${a.stageId}${a.side}`.localeCompare(`${b.day}${b.stageId}${b.side}`))
      .map(({ day, stageId, side, counts }) => ({ day, stageId, side, counts: { ...counts } }));
  }
}
