import type { Core } from '@strapi/strapi';

/**
 * First login without a form: with ADMIN_EMAIL and ADMIN_PASSWORD set and no administrator yet,
 * creates one (Super Admin) at start. Only in development, unless ADMIN_CREATE_IN_PRODUCTION=true.
 */
export const createFirstAdmin = async (strapi: Core.Strapi) => {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password, ADMIN_CREATE_IN_PRODUCTION } = process.env;
  if (!email || !password) return;
  if (strapi.config.get('environment') === 'production' && ADMIN_CREATE_IN_PRODUCTION !== 'true') return;
  if ((await strapi.db.query('admin::user').count()) > 0) return;

  if (password.length < 8 || !/[a-z]/.test(password) || !/[A-Z]/.test(password) || !/\d/.test(password)) {
    throw new Error('ADMIN_PASSWORD must have at least 8 characters, with a lower-case letter, an upper-case letter and a digit.');
  }
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({
    email: email.toLowerCase(),
    firstname: process.env.ADMIN_FIRSTNAME || 'Admin',
    lastname: process.env.ADMIN_LASTNAME || '',
    password,
    isActive: true,
    roles: [superAdmin.id],
  });
  strapi.log.info(`Created the first administrator, ${email}: log in at /admin.`);
};
