import { RejectClientDto } from './reject-client.dto.js';

/** Suspending needs a reason just as rejecting does. */
export class SuspendClientDto extends RejectClientDto {}
