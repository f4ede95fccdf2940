/** Error codes raised by the HTTP layer itself. */
export const api = {
  tooLarge: 'REQUEST_TOO_LARGE',
  routeNotFound: 'ROUTE_NOT_FOUND',
} as const;
