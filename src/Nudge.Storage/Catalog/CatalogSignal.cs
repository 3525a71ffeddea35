namespace Nudge.Storage.Catalog;

/// <summary>Wakes the catalog's signal tailer of this process when a catalog write has committed new history rows.</summary>
public sealed class CatalogSignal : CommitSignal;
