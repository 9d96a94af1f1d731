import { z } from 'zod';

/** The error body every API refusal uses. */
export const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string(),
});
