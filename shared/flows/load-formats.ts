/** Reads the accepted input formats of a date/datetime HR field and checks each is a valid .NET format. */
import { tokenizeDateFormat } from '../expressions/dotnet-datetime';
import { readSeq, readString, type Located, type YamlContext } from './yaml-reader';

export function readFormats(ctx: YamlContext, at: Located): string[] {
  const out: string[] = [];
  for (const item of readSeq(ctx, at) ?? []) {
    const f = readString(ctx, item);
    if (f === undefined) continue;
    try {
      tokenizeDateFormat(f);
      out.push(f);
    } catch (err) {
      ctx.report(item, (err as Error).message);
    }
  }
  return out;
}
