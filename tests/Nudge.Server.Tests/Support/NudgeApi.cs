using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Nudge.Testing;

namespace Nudge.Server.Tests.Support;

/// <summary>
/// One in-process Nudge (real SQLite in a temp folder, real Orleans silo) per test class, with known keys.
/// </summary>
public class NudgeApi : WebApplicationFactory<Program>
{
    public const string ServerKey = "nk_srv_test_server_key";
    public const string BrowserKey = "nk_pub_test_browser_key";
    public const string AdminKey = "nk_adm_test_admin_key";

    private readonly string _folder;
    private readonly bool _ownsFolder;

    /// <summary>A Nudge on a new temp folder, deleted afterwards.</summary>
    public NudgeApi()
        : this(Directory.CreateTempSubdirectory("nudge-api-").FullName, ownsFolder: true)
    {
    }

    // xunit builds fixtures through their one public constructor; other uses go through OnFolder.
    private NudgeApi(string folder, bool ownsFolder)
    {
        _folder = folder;
        _ownsFolder = ownsFolder;
    }

    /// <summary>A Nudge on an existing folder (to restart an installation); the caller deletes the folder.</summary>
    public static NudgeApi OnFolder(string folder) => new(folder, ownsFolder: false);

    /// <summary>Extra settings, e.g. to turn the demo shop on.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Sends email through <paramref name="sink"/> as the demo shop, with delivery polling every 100 ms.</summary>
    protected void SendThrough(SmtpSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Settings["Nudge:Smtp:Host"] = SmtpSink.Address;
        Settings["Nudge:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture);
        Settings["Nudge:Smtp:Security"] = "none";
        Settings["Nudge:Smtp:From"] = "Demo Shop <news@shop.example>";
        Settings["Nudge:Delivery:PollInterval"] = "00:00:00.100";
    }

    /// <summary>The storage settings: (provider, connection string).</summary>
    protected virtual (string Provider, string ConnectionString) Storage => ("sqlite", $"Data Source={Path.Combine(_folder, "nudge.db")}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Nudge:Storage:Provider", Storage.Provider);
        builder.UseSetting("Nudge:Storage:ConnectionString", Storage.ConnectionString);
        builder.UseSetting("Nudge:Demo", "false");
        builder.UseSetting("Nudge:Bootstrap:WriteKey", ServerKey);
        builder.UseSetting("Nudge:Bootstrap:BrowserKey", BrowserKey);
        builder.UseSetting("Nudge:Bootstrap:AdminKey", AdminKey);
        builder.UseSetting("Nudge:Orleans:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Nudge:Orleans:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
    }

    public HttpClient Tracking(string writeKey = ServerKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return client;
    }

    public HttpClient Admin(string key = AdminKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Sends a batch and asserts it was accepted.</summary>
    public async Task<JsonObject> SendBatchAsync(string writeKey, params JsonObject[] messages)
    {
        using var client = Tracking(writeKey);
        var response = await client.PostAsJsonAsync("/v1/batch", new JsonObject { ["batch"] = new JsonArray(messages) }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Waits until a profile found by <paramref name="query"/> satisfies <paramref name="ready"/>; profiles update asynchronously.</summary>
    public async Task<JsonObject> WaitForProfileAsync(string query, Func<JsonObject, bool> ready)
    {
        using var client = Admin();
        var (found, last) = await Eventually.ReadUntilAsync(
            ct => FindProfileAsync(client, query, ready, ct), r => r.Found is not null, TestContext.Current.CancellationToken);
        return found ?? throw new TimeoutException($"No profile matching '{query}' became ready; last seen: {last?.ToJsonString() ?? "none"}");
    }

    private static async Task<(JsonObject? Found, JsonObject? Last)> FindProfileAsync(
        HttpClient client, string query, Func<JsonObject, bool> ready, CancellationToken ct)
    {
        JsonObject? last = null;
        var summaries = await client.GetFromJsonAsync<JsonArray>($"/api/profiles?query={Uri.EscapeDataString(query)}", ct);
        foreach (var summary in summaries!)
        {
            last = await client.GetFromJsonAsync<JsonObject>($"/api/profiles/{summary!["id"]}", ct);
            if (ready(last!))
                return (last, last);
        }
        return (null, last);
    }

    public async Task<JsonArray> TimelineAsync(string profileId, int limit = 100)
    {
        using var client = Admin();
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/profiles/{profileId}/events?limit={limit}", TestContext.Current.CancellationToken);
        return page!["events"]!.AsArray();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsFolder)
            return;
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
