/**
 * A short link as the redirector serves it, a verified branded domain, and a route's id: contracts
 * with the link service (libs/events contracts.ts), which writes them to Redis and links.v1.
 */
export { routeIdOf, type DomainRecord, type Route, type Utm } from '@hop/events';
