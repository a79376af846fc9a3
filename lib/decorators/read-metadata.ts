/** Typed read of what a decorator stored on a class (reflect-metadata hands back `any`). */
export const readMetadata = <T>(key: string, target: object): T | undefined => Reflect.getMetadata(key, target) as T | undefined;
