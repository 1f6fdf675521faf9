/** Another process holds the workspace; DuckDB allows one writer per database file. */
export class WorkspaceBusyError extends Error {
  override readonly name = "WorkspaceBusyError";
}

/** The workspace was written by a newer moneytrail than this one. */
export class WorkspaceVersionError extends Error {
  override readonly name = "WorkspaceVersionError";
}
