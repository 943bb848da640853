export const TEST_PG_PORT = 54339;
export const TEMPLATE_DB = 'hiring_template';
