import { commandPayloadHash } from '../../lib/aggregates/command-payload-hash.js';

class Deposit {
  constructor(
    readonly accountId: string,
    readonly amount: number,
    readonly note?: string,
  ) {}
}

/** The same fields assigned in another order, as another release or another node might build them. */
class DepositReordered {
  readonly note?: string;
  readonly amount: number;
  readonly accountId: string;
  constructor(accountId: string, amount: number, note?: string) {
    this.note = note;
    this.amount = amount;
    this.accountId = accountId;
  }
}

describe('commandPayloadHash', () => {
  it('keeps the hashes already stored with recorded commands', () => {
    // Recorded hashes are data: a repeat after an upgrade must still be recognised.
    expect(commandPayloadHash('Deposit', new Deposit('acc-1', 25))).toBe('jQ8CmdCPTnVjMhLTj_na-ugwEIeYcLTSoHWLt2nKiQk');
    expect(commandPayloadHash('Deposit', new Deposit('acc-1', 25, 'ünï\ud83d\ude00'))).toBe('oAs-8EaI9znt2woQboHhsVmTNlUNRcMM7fMyhgIk_uQ');
  });

  it('hashes a flat command as its JSON copy, in any field order', () => {
    const command = new Deposit('acc-1', 25, 'rent');
    const hashed = commandPayloadHash('Deposit', command);
    expect(commandPayloadHash('Deposit', new DepositReordered('acc-1', 25, 'rent'))).toBe(hashed);
    expect(commandPayloadHash('Deposit', JSON.parse(JSON.stringify(command)) as object)).toBe(hashed);
    expect(commandPayloadHash('Deposit', new Deposit('acc-1', 26, 'rent'))).not.toBe(hashed);
    expect(commandPayloadHash('Withdraw', command)).not.toBe(hashed);
  });

  it('hashes nested values, index-like keys, toJSON and non-finite numbers as JSON sees them', () => {
    const shapes: object[] = [
      { accountId: 'a', lines: [{ z: 1, a: 2 }], at: new Date(0) },
      { 10: 'ten', 9: 'nine', name: 'x' },
      { amount: Number.NaN, accountId: 'a' },
      { toJSON: () => ({ b: 1, a: 2 }) },
    ];
    for (const shape of shapes) expect(commandPayloadHash('C', shape)).toBe(commandPayloadHash('C', JSON.parse(JSON.stringify(shape)) as object));
    expect(commandPayloadHash('C', { b: { y: 1, x: 2 }, a: 1 })).toBe(commandPayloadHash('C', { a: 1, b: { x: 2, y: 1 } }));
  });
});
