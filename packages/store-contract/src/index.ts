// The public API of @connect-chat/store-contract, by name.
export { describeIdempotencyStoreContract, describeSessionStoreContract } from './store-contracts.ts';
