using System.Collections.Concurrent;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// The partial libraries that compiled templates use, by key. Held weakly: a library lives as long as a compiled
/// template (or a render in progress) holds it, and the same content always maps to one library instance, so
/// its partials are parsed once.
/// </summary>
internal sealed class PartialLibraries
{
    private readonly ConcurrentDictionary<string, WeakReference<PartialLibrary>> _byKey = new(StringComparer.Ordinal);
    private int _registrations;

    /// <summary>The library with the same content as <paramref name="library"/> that is already in use, else this one.</summary>
    public PartialLibrary Register(PartialLibrary library)
    {
        while (true)
        {
            var entry = _byKey.GetOrAdd(library.Key, _ => new WeakReference<PartialLibrary>(library));
            if (entry.TryGetTarget(out var live))
            {
                Sweep();
                return live;
            }
            _byKey.TryUpdate(library.Key, new WeakReference<PartialLibrary>(library), entry);
        }
    }

    /// <summary>The library and partial name of a path <c>{key}/{name}</c>.</summary>
    public (PartialLibrary? Library, string? Name) Resolve(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !_byKey.TryGetValue(path[..slash], out var entry) || !entry.TryGetTarget(out var library))
            return (null, null);
        return (library, path[(slash + 1)..]);
    }

    // Now and then, forget the keys whose libraries were collected.
    private void Sweep()
    {
        if (Interlocked.Increment(ref _registrations) % 1024 != 0)
            return;
        foreach (var (key, entry) in _byKey)
        {
            if (!entry.TryGetTarget(out _))
                _byKey.TryRemove(new KeyValuePair<string, WeakReference<PartialLibrary>>(key, entry));
        }
    }
}
