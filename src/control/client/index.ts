// The API client package: KubeClient, informers, work queues and rate limiters.
export { KubeClient, listPageCountMax } from './client.js';
export type {
  KubeClientOptions,
  ListOptions,
  ListAllOptions,
  WriteOptions,
  DeleteOptions,
  DeleteCollectionOptions,
  WatchOptions,
} from './client.js';
export { ResourceClient, coreResources, resourcesOf } from './resource-client.js';
export type { WatchEnd, WatchHandle, WatchHandler } from './watch-stream.js';
export { parseWatchEvent, watchLineLengthMax } from './watch-stream.js';
export {
  ApiStatusError,
  ClientTransportError,
  ResponseDecodeError,
  asStatus,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isExpired,
  isForbidden,
  isGone,
  isGoneOrExpired,
  isInvalid,
  isNotFound,
  isTooManyRequests,
  isTransportError,
  statusErrorFromResponse,
} from './errors.js';
export { apiVersionOf, collectionPath, groupVersionPath, objectPath } from './paths.js';
export type {
  KubeObject,
  ListMeta,
  ObjectList,
  ObjectMeta,
  ResourceDescriptor,
  Status,
  StatusCause,
  StatusDetails,
  WatchEvent,
  WatchEventType,
} from './types.js';
export { TokenBucket } from './token-bucket.js';
export type { TokenBucketOptions } from './token-bucket.js';
export { ExponentialBackoff } from './backoff.js';
export type { ExponentialBackoffOptions } from './backoff.js';
export { ObjectCache, deepFreeze, objectKeyOf, splitObjectKey } from './cache.js';
export type { CacheReader, IndexFunction } from './cache.js';
export { Informer } from './informer.js';
export type { HandlerRegistration, InformerEventHandler, InformerOptions } from './informer.js';
export {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './rate-limiters.js';
export type { RateLimiter } from './rate-limiters.js';
export { QueueFullError, WorkQueue } from './work-queue.js';
export type { QueueGetResult, WorkQueueOptions } from './work-queue.js';
