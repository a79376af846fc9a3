/**
 * The packages a new application installs next to the library, exactly as the README's install
 * lines name them. The Nest packages carry `@^12`: a bare `@nestjs/common` next to
 * `@nestjs/terminus` lets npm weigh Nest 11 for it (Terminus's optional peer `@mikro-orm/nestjs`
 * wants it) and fail with ERESOLVE.
 */
export const INSTALL_LINE = [
  '@nestjs/common@^12',
  '@nestjs/core@^12',
  '@nestjs/cqrs@^12',
  '@nestjs/platform-express@^12',
  'reflect-metadata',
  'rxjs',
];

/** The same with health checks through Terminus. */
export const INSTALL_LINE_WITH_TERMINUS = [...INSTALL_LINE.slice(0, 4), '@nestjs/terminus@^12', ...INSTALL_LINE.slice(4)];

/** The compiler and test runner a consumer adds as dev dependencies (versions from our lockfile). */
export const DEV_PACKAGES = ['typescript', '@types/node', 'jest', '@jest/globals'];
