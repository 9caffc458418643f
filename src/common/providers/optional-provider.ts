import type { ModuleRef } from '@nestjs/core';

/**
 * A provider another feature registers under `token`, looked up across modules at init time, or
 * undefined where that feature is not loaded. For a feature that must not import the module that
 * depends on it (posts → photos' covers, cache → social's viewer flags).
 */
export function optionalProvider<T>(modules: ModuleRef, token: symbol): T | undefined {
  try {
    return modules.get<T>(token, { strict: false });
  } catch {
    return undefined;
  }
}
