/** What a screen declares to be reachable: its path, title, element and place in the navigation. */
import type { TemplateResult } from 'lit';
import type { Role } from '../../../schema/wire/user.ts';
import type { IconName } from '../ui/icons.ts';
import { compilePath, matchPath, type PathPattern } from './router.ts';

export interface RouteDef {
  /** Stable name, used for the active navigation entry and in tests. */
  id: string;
  /** `/customers`, `/customers/:id`, … */
  path: string;
  /** The page heading and document title, in the current language. */
  title(): string;
  /** Loads the screen's module (its element definition) on first visit. */
  load(): Promise<unknown>;
  /** The screen, given the path parameters. */
  render(params: Record<string, string>): TemplateResult;
  /** Only these roles may open it; others see a forbidden state. Everyone when absent. */
  roles?: readonly Role[];
  /** Shown in the navigation (in table order) when present. */
  nav?: { icon: IconName; label?: () => string };
}

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

const compiled = new WeakMap<RouteDef, PathPattern>();

export function matchRoute(routes: readonly RouteDef[], path: string): RouteMatch | null {
  for (const route of routes) {
    let pattern = compiled.get(route);
    if (!pattern) {
      pattern = compilePath(route.path);
      compiled.set(route, pattern);
    }
    const params = matchPath(pattern, path);
    if (params) return { route, params };
  }
  return null;
}

export function canOpen(route: RouteDef, role: Role): boolean {
  return !route.roles || route.roles.includes(role);
}
