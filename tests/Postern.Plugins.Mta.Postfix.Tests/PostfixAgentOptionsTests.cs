namespace Postern.Plugins.Mta.Postfix.Tests;

public sealed class PostfixAgentOptionsTests
{
    [Fact]
    public void From_EmptySection_FilterReadmeDefaults()
    {
        var o = PostfixAgentOptions.From(new Dictionary<string, string>());

        Assert.Equal(("127.0.0.1:10025", "127.0.0.1:10026"), (o.Listen.ToString(), o.Reinject.ToString()));
        Assert.True(o.MessageTimeout < TimeSpan.FromSeconds(600));
    }

    [Theory]
    [InlineData("listen", "[::1]:2525", "[::1]:2525")]
    [InlineData("listen", "localhost:2525", "127.0.0.1:2525")]
    [InlineData("reinject", "20026", "127.0.0.1:20026")]
    public void From_Addresses_Parsed(string key, string value, string expected)
    {
        var o = PostfixAgentOptions.From(new Dictionary<string, string> { [key] = value });

        Assert.Equal(expected, (key == "listen" ? o.Listen : o.Reinject).ToString());
    }

    [Theory]
    [InlineData("listen", "mail.example.org")]
    [InlineData("max_connections", "0")]
    [InlineData("message_timeout", "900")]
    public void From_BadValue_NamesTheSetting(string key, string value)
    {
        var e = Assert.Throws<FormatException>(() => PostfixAgentOptions.From(new Dictionary<string, string> { [key] = value }));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }
}
