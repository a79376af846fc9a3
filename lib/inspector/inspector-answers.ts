import { BadRequestException, GoneException, NotFoundException } from '@nestjs/common';
import { isAggregateNotFound } from '../errors/aggregate-not-found.error.js';
import type { EventSourcingError } from '../errors/event-sourcing.error.js';
import { isInvalidControlRequest } from '../errors/invalid-control-request.error.js';
import { isInvalidIdentifier } from '../errors/invalid-identifier.error.js';
import { isInvalidOptions } from '../errors/invalid-options.error.js';
import { isStreamDeleted } from '../errors/stream-deleted.error.js';
import { isStreamTruncated } from '../errors/stream-truncated.error.js';
import { isTenantRequired } from '../errors/tenant-required.error.js';
import { isUnknownSubscription } from '../errors/unknown-subscription.error.js';
import { isUnknownTenant } from '../errors/unknown-tenant.error.js';
import { isVersionNotReached } from '../errors/version-not-reached.error.js';

const body = (error: EventSourcingError) => ({ code: error.code, message: error.message });

/**
 * The library's refusals as HTTP answers with its code and message: a bad query or request 400, a
 * tenant, subscription, stream or version that does not exist (yet) 404, history deleted or removed 410.
 */
export async function answered<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isInvalidOptions(error) || isInvalidIdentifier(error) || isInvalidControlRequest(error) || isTenantRequired(error))
      throw new BadRequestException(body(error));
    if (isUnknownSubscription(error) || isAggregateNotFound(error) || isVersionNotReached(error) || isUnknownTenant(error))
      throw new NotFoundException(body(error));
    if (isStreamDeleted(error) || isStreamTruncated(error)) throw new GoneException(body(error));
    throw error;
  }
}
