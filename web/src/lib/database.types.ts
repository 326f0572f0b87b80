// The generated `Database` type lives with the code every runtime shares.
export type * from '../../../functions-shared/database.types.ts';
