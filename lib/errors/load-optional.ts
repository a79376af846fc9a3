import { MissingDependencyError } from './missing-dependency.error.js';

/**
 * Imports an optional peer dependency (or a module of ours that needs one) when its adapter is
 * chosen; a missing package becomes a {@link MissingDependencyError} naming what to install.
 * Any other failure (a broken install, an error while the module loads) is rethrown as it is.
 */
export async function loadOptional<T>(packageName: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleMissing(error, packageName)) throw new MissingDependencyError(packageName, purpose, error);
    throw error;
  }
}

function isModuleMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(`'${packageName}'`);
}
