import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'gatehouse-resource:public';

/** Opens a route to requests without a bearer token. Every other route is guarded. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
