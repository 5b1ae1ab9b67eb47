import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'gatehouse:public';

/** Opens a route to requests without a bearer token. Everything else is guarded. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
