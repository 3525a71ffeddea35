namespace Nudge.Server.Tests.Support;

/// <summary>The in-process Nudge talking to a local fake of Shopify's Admin API instead of the shop's domain.</summary>
public sealed class NudgeWithShopify : NudgeApi, IAsyncLifetime
{
    private FakeShopify? _shopify;

    public FakeShopify Shopify => _shopify!;

    public async ValueTask InitializeAsync()
    {
        _shopify = await FakeShopify.StartAsync();
        Settings["Nudge:Shopify:BaseUrl"] = _shopify.BaseUrl.AbsoluteUri;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_shopify is not null)
            await _shopify.DisposeAsync();
    }
}
