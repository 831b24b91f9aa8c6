// A synthetic HR extract of N new hires for bench/flows/bench-joiners.yaml: unique names (so naming never falls
// back), a hire date in the past (active now), departments and countries spread across the flow's rules.

export const JOINER_HEADER =
  'WorkerID,WorkerStatus,FirstName,LastName,HireDate,Department,JobTitle,CountryCode';

const FIRST = ['Ada', 'Ben', 'Chloé', 'Dara', 'Emil', 'Fatima', 'Gus', 'Hana', 'Ivo', 'Jonas', 'Kai', 'Lena'];
const LAST = [
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hughes',
  'Ito',
  'Jansen',
  'Kowalski',
];
const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Support'];
const COUNTRIES = ['US', 'DE', 'GB', 'FR'];

export function bulkJoinerCsv(count: number, now: Date): { text: string; employeeIds: string[] } {
  const hireDate = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const lines = [JOINER_HEADER];
  const employeeIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `B${String(100_000 + i)}`;
    employeeIds.push(id);
    // A letter suffix keeps every name unique without digits in display names.
    const suffix = i
      .toString(26)
      .split('')
      .map((c) => String.fromCharCode(97 + parseInt(c, 26)))
      .join('');
    const first = FIRST[i % FIRST.length]!;
    const last = `${LAST[Math.floor(i / FIRST.length) % LAST.length]!}${suffix[0]!.toUpperCase()}${suffix.slice(1)}`;
    const dept = DEPARTMENTS[i % DEPARTMENTS.length]!;
    lines.push(
      [id, 'Active', first, last, hireDate, dept, `${dept} Associate`, COUNTRIES[i % COUNTRIES.length]!].join(
        ',',
      ),
    );
  }
  return { text: lines.join('\n') + '\n', employeeIds };
}
