/**
 * The module federation container JupyterLab 4 and Notebook 7 load a prebuilt extension through.
 *
 * The page loads `static/remoteEntry.*.js`, which puts `{init, get}` on `window._JUPYTERLAB[name]`;
 * the page calls `init(shareScope)` with the packages it shares (its own `@jupyterlab/*` singletons),
 * then `get("./extension")` for a factory of the module whose `default` is the plugin. Written by
 * hand (bundled by esbuild) so the extension needs no webpack build: the plugin takes the page's
 * own copy of a package (and so its tokens) from the share scope, at the highest version shared,
 * as webpack's singleton sharing does.
 */

/** One shared version of a package: `get` resolves to a factory of its module. */
export interface SharedVersion {
  get?: () => Promise<() => unknown>;
  lib?: () => unknown;
}

/** The page's shared packages: name, then version. */
export type ShareScope = Record<string, Record<string, SharedVersion>>;

/** What `window._JUPYTERLAB[name]` holds. */
export interface Container {
  init(scope: ShareScope): void;
  get(module: string): Promise<() => unknown>;
}

/** Compares dotted versions numerically (`4.10.0` after `4.9.1`); a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.split(/[.+-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : -1));
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The page's copy of package `name` (the highest version shared). */
export async function shared(scope: ShareScope, name: string): Promise<unknown> {
  const versions = scope[name] ?? {};
  const newest = Object.keys(versions).sort(compareVersions).pop();
  const entry = newest === undefined ? undefined : versions[newest];
  if (entry?.lib) return entry.lib();
  if (!entry?.get) throw new Error(`jupymuse: the page shares no ${name}, which the extension needs`);
  return (await entry.get())();
}

/** A container offering `modules` (name to a loader given the page's share scope). */
export function container(modules: Record<string, (scope: ShareScope) => Promise<unknown>>): Container {
  let scope: ShareScope = {};
  return {
    init(given: ShareScope): void {
      scope = given;
    },
    async get(module: string): Promise<() => unknown> {
      const load = modules[module];
      if (load === undefined) throw new Error(`jupymuse: the extension has no module ${module}`);
      const loaded = await load(scope);
      return () => loaded;
    },
  };
}

/** Puts `entry` where the page looks for extension `name`'s container. */
export function register(name: string, entry: Container): void {
  const page = globalThis as { _JUPYTERLAB?: Record<string, Container> };
  page._JUPYTERLAB ??= {};
  page._JUPYTERLAB[name] = entry;
}
