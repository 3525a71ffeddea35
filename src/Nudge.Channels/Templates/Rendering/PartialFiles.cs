using System.Text;
using Fluid;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// Serves partials to Liquid's <c>include</c> and <c>render</c> from partial libraries, by the path
/// <c>{library key}/{name}</c> that <see cref="NudgeRewriter"/> gives them.
/// </summary>
internal sealed class PartialFiles(PartialLibraries libraries) : IFileProvider
{
    public IFileInfo GetFileInfo(string subpath) =>
        libraries.Resolve(subpath) is ({ } library, { } name) && library.Sources.TryGetValue(name, out var source) && source.Kind == TemplateKind.Partial
            ? new PartialFile(name, source.Body)
            : new NotFoundFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    private sealed class PartialFile(string name, string body) : IFileInfo
    {
        public bool Exists => true;
        public long Length => Encoding.UTF8.GetByteCount(body);
        public string? PhysicalPath => null;
        public string Name => name;

        // Library content never changes under a key: one fixed time keeps the parsed copy valid for good.
        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
        public bool IsDirectory => false;
        public Stream CreateReadStream() => new MemoryStream(Encoding.UTF8.GetBytes(body), writable: false);
    }
}

/// <summary>Keeps parsed partials inside their library, so they go when the library goes.</summary>
#pragma warning disable FLUID001 // ITemplateCache is marked experimental; it is how Fluid lets a host own parsed partials.
internal sealed class PartialCache(PartialLibraries libraries) : ITemplateCache
{
    public bool TryGetTemplate(string subpath, DateTimeOffset lastModified, out IFluidTemplate template)
    {
        template = null!;
        return libraries.Resolve(subpath) is ({ } library, { } name) && library.Parsed.TryGetValue(name, out template!);
    }

    public void SetTemplate(string subpath, DateTimeOffset lastModified, IFluidTemplate template)
    {
        if (libraries.Resolve(subpath) is ({ } library, { } name))
            library.Parsed[name] = template;
    }
}
#pragma warning restore FLUID001
