/**
 * Every error class of the library, with its guard: the one list that lib/index.ts exports and
 * that the cluster wire rebuilds errors from. A new `*.error.ts` file gets its line here
 * (test/unit/wire-error.spec.ts fails until it has one).
 */
export { AggregateNotFoundError, isAggregateNotFound } from './aggregate-not-found.error.js';
export { BooksNotCoveredError, isBooksNotCovered } from './books-not-covered.error.js';
export { CommandRouteNotFoundError, isCommandRouteNotFound } from './command-route-not-found.error.js';
export { CommandTimeoutError, isCommandTimeout } from './command-timeout.error.js';
export { ConfigurationError, isConfigurationError } from './configuration.error.js';
export { ConsistencyTimeoutError, isConsistencyTimeout } from './consistency-timeout.error.js';
export { DomainError, isDomainError } from './domain.error.js';
export { DuplicateCommandError, isDuplicateCommand } from './duplicate-command.error.js';
export { DuplicateEventError, isDuplicateEvent } from './duplicate-event.error.js';
export { EventSourcingError, isEventSourcingError } from './event-sourcing.error.js';
export { InlineProjectionFailedError, isInlineProjectionFailed } from './inline-projection-failed.error.js';
export { InvalidCommandError, isInvalidCommand } from './invalid-command.error.js';
export { InvalidControlRequestError, isInvalidControlRequest } from './invalid-control-request.error.js';
export { InvalidEventError, isInvalidEvent } from './invalid-event.error.js';
export { InvalidIdentifierError, isInvalidIdentifier } from './invalid-identifier.error.js';
export { InvalidOptionsError, isInvalidOptions } from './invalid-options.error.js';
export { InvalidScheduleError, isInvalidSchedule } from './invalid-schedule.error.js';
export { isMissingAggregateIdentity, MissingAggregateIdentityError } from './missing-aggregate-identity.error.js';
export { isMissingApply, MissingApplyError } from './missing-apply.error.js';
export { isMissingDependency, MissingDependencyError } from './missing-dependency.error.js';
export { isNodeUnavailable, NodeUnavailableError } from './node-unavailable.error.js';
export { isPayloadTooLarge, PayloadTooLargeError } from './payload-too-large.error.js';
export { isShuttingDown, ShuttingDownError } from './shutting-down.error.js';
export { isStoreUnavailable, StoreUnavailableError } from './store-unavailable.error.js';
export { isPartitionLayout, PartitionLayoutError } from './partition-layout.error.js';
export { isSchemaNotFound, SchemaNotFoundError } from './schema-not-found.error.js';
export { isStoreConnectionError, StoreConnectionError, type StoreConnectionProblem } from './store-connection.error.js';
export { isStreamDeleted, StreamDeletedError } from './stream-deleted.error.js';
export { isStreamTruncated, StreamTruncatedError } from './stream-truncated.error.js';
export { isSubscriptionLost, SubscriptionLostError } from './subscription-lost.error.js';
export { isTenantRequired, TenantRequiredError } from './tenant-required.error.js';
export { isUnknownEventType, UnknownEventTypeError } from './unknown-event-type.error.js';
export { isUnknownSubscription, UnknownSubscriptionError } from './unknown-subscription.error.js';
export { isUnknownTenant, UnknownTenantError } from './unknown-tenant.error.js';
export { isUnregisteredEvent, UnregisteredEventError } from './unregistered-event.error.js';
export { isVersionNotReached, VersionNotReachedError } from './version-not-reached.error.js';
export { isWaitTimeout, WaitTimeoutError } from './wait-timeout.error.js';
export { isWrongExpectedVersion, WrongExpectedVersionError } from './wrong-expected-version.error.js';
