// Matches request paths against Functions route templates ("flows/{flow}/workers/{employeeId?}", "{*rest}",
// "{id:int}") under the "api" prefix, as the host's HTTP trigger does.

export interface CompiledRoute {
  template: string;
  match(path: string): Record<string, string> | undefined;
}

export function compileRoute(template: string, prefix = 'api'): CompiledRoute {
  const segments = [prefix, ...template.split('/')].filter((s) => s.length > 0);
  let pattern = '^';
  const names: string[] = [];
  for (const segment of segments) {
    const m = /^\{(\*?)(\w+)(?::(\w+))?(\?)?\}$/.exec(segment);
    if (!m) {
      pattern += `/${escape(segment)}`;
      continue;
    }
    const [, catchAll, name, constraint, optional] = m;
    names.push(name!);
    const body = catchAll
      ? '(.*)'
      : constraint === 'int'
        ? '(-?\\d+)'
        : constraint === 'guid'
          ? '([0-9a-fA-F-]{36})'
          : '([^/]+)';
    pattern += optional || catchAll ? `(?:/${body})?` : `/${body}`;
  }
  const regex = new RegExp(`${pattern}/?$`, 'i');
  return {
    template,
    match(path) {
      const m = regex.exec(path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        const v = m[i + 1];
        if (v !== undefined) params[name] = decodeURIComponent(v);
      });
      return params;
    },
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
