using System.Reflection;

namespace Nudge.Server.Push;

/// <summary>The service worker and the subscribe script, served as shipped inside the executable.</summary>
internal static class PushScripts
{
    private static readonly string ServiceWorker = Read("sw.js");
    private static readonly string Subscribe = Read("subscribe.js");

    public static void Map(IEndpointRouteBuilder app)
    {
        var scripts = app.MapGroup("/push").ExcludeFromDescription();
        scripts.MapGet("/sw.js", (HttpContext http) => Script(http, ServiceWorker));
        scripts.MapGet("/subscribe.js", (HttpContext http) => Script(http, Subscribe));
    }

    private static IResult Script(HttpContext http, string text)
    {
        // Pages and service workers load these on every visit; an hour keeps them fresh enough after an upgrade.
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Text(text, "text/javascript; charset=utf-8");
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Nudge.Server.Push." + name)
            ?? throw new InvalidOperationException($"The embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
