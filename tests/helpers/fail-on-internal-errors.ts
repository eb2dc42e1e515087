import { describeInternalErrors, takeInternalErrors } from './internal-errors';

/**
 * Run after every test of every suite (setupFilesAfterEnv in jest.config.js): an internal error
 * in an answer fails the test, whatever the test asserted, as a 5xx does. Tests that provoke one
 * on purpose acknowledge that answer (acknowledgeInternalError).
 */
const check = (when: string) => {
  const answers = takeInternalErrors();
  if (answers.length === 0) return;
  throw new Error(
    `${answers.length} answer(s) ${when} reported an internal error (GraphQL INTERNAL_SERVER_ERROR or HTTP 500); ` +
      `the server log has the detail under each error id:\n${describeInternalErrors(answers)}`
  );
};

afterEach(() => check('to this test (or to its suite\'s beforeAll)'));
afterAll(() => check('after the last test of this suite'));
