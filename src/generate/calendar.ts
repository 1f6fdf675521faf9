/**
 * Days of the world as the calendar sees them: weekday, day of month, business days, pay days.
 * Day 0 is the start date (UTC).
 */
export class Calendar {
  private readonly startMs: number;
  // Looked up for every business and person every day: computed once.
  private readonly weekdays: Uint8Array;
  private readonly monthDays: Uint8Array;
  private readonly lastBusiness: Uint8Array;

  constructor(
    start: string,
    readonly days: number,
  ) {
    this.startMs = Date.parse(`${start}T00:00:00Z`);
    if (Number.isNaN(this.startMs)) throw new Error(`not a date: ${start}`);
    // A month past the end, so that the last business day of the last month is known.
    const span = days + 31;
    this.weekdays = new Uint8Array(span);
    this.monthDays = new Uint8Array(span);
    this.lastBusiness = new Uint8Array(span);
    for (let d = 0; d < span; d++) {
      this.weekdays[d] = this.date(d).getUTCDay();
      this.monthDays[d] = this.date(d).getUTCDate();
    }
    let nextMonthStart = true;
    for (let d = span - 1; d >= 0; d--) {
      if (this.isBusinessDay(d) && nextMonthStart) {
        this.lastBusiness[d] = 1;
        nextMonthStart = false;
      }
      if (this.monthDays[d] === 1) nextMonthStart = true;
    }
  }

  date(day: number): Date {
    return new Date(this.startMs + day * 86_400_000);
  }

  /** 0 = Sunday … 6 = Saturday. */
  weekday(day: number): number {
    return day >= 0 && day < this.weekdays.length
      ? (this.weekdays[day] as number)
      : this.date(day).getUTCDay();
  }

  isBusinessDay(day: number): boolean {
    const w = this.weekday(day);
    return w !== 0 && w !== 6;
  }

  dayOfMonth(day: number): number {
    return day >= 0 && day < this.monthDays.length
      ? (this.monthDays[day] as number)
      : this.date(day).getUTCDate();
  }

  /** Whether `day` is the last business day of its month. */
  isLastBusinessDayOfMonth(day: number): boolean {
    return day >= 0 && day < this.lastBusiness.length && this.lastBusiness[day] === 1;
  }

  /** Pay day for a cycle: Fridays (weekly; every other Friday for biweekly), the 15th and last business day, or the last business day. */
  isPayDay(day: number, cycle: "weekly" | "biweekly" | "semimonthly" | "monthly", phase: number): boolean {
    switch (cycle) {
      case "weekly":
        return this.weekday(day) === 5;
      case "biweekly":
        return this.weekday(day) === 5 && Math.floor((day + 7 * (phase & 1)) / 7) % 2 === 0;
      case "semimonthly":
        return this.dayOfMonth(day) === 15 || this.isLastBusinessDayOfMonth(day);
      case "monthly":
        return this.isLastBusinessDayOfMonth(day);
    }
  }

  /** The next business day on or after `day` (deposits at night or at weekends post then). */
  businessDayOnOrAfter(day: number): number {
    let d = day;
    while (!this.isBusinessDay(d)) d++;
    return d;
  }

  /** `YYYY-MM-DD` of a day. */
  isoDate(day: number): string {
    return this.date(day).toISOString().slice(0, 10);
  }
}
