/**
 * Application errors as an app shares them between its server and its front end: one module, imported
 * from `express-typed-errors/client` so that the browser bundle stays free of the server code.
 */
import { NotFound, PaymentRequired } from '../src/client';

/** Found by its `code`: the static for the client, the instance field for the server's answers. */
export class UserNotFound extends NotFound {
  static readonly code = 'user_not_found';
  override readonly code = UserNotFound.code;
  /** Set by this constructor on the server; the client never calls it, so a rebuilt error has none. */
  readonly userId: string;
  constructor(userId: string) {
    super(`No user ${userId}`);
    this.userId = userId;
  }
}

/** RFC 9457's own example, found by its `type`; its title is not the reason phrase, nor ASCII. */
export class OutOfCredit extends PaymentRequired {
  static readonly type = 'https://example.com/probs/out-of-credit';
  constructor(balance: number) {
    super(`Your current balance is ${balance}, but that costs 50.`, {
      type: OutOfCredit.type,
      title: 'Crédit insuffisant',
      extensions: { balance, accounts: ['/account/12345', '/account/67890'] },
    });
  }
}
