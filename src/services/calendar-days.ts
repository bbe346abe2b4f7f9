// Calendar days (YYYY-MM-DD) to and from PostgreSQL DATE columns, which Prisma reads as UTC midnight.

export function dateOf(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
