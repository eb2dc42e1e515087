import type { Core } from '@strapi/strapi';
import { workshopPreview } from '../src/admin-ui/preview';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET', ''),
  },
  apiToken: {
    salt: env('API_TOKEN_SALT', ''),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT', ''),
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY', ''),
  },
  preview: workshopPreview(env('FRONTEND_URL', ''), env('PREVIEW_SECRET', '')),
  flags: {
    nps: false,
    promoteEE: false,
  },
});
