import { ValidationPipe } from '@nestjs/common';

/**
 * How every input is validated: unknown fields refused, plain objects turned
 * into their DTO class. One definition, so the admin CLI refuses exactly what
 * the HTTP API refuses, with the same messages.
 */
export const createValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
  });
