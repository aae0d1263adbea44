using Mem0.Core.Projects;

namespace Mem0.Core.Tests.Projects;

public sealed class ApiKeysTests
{
    [Fact]
    public void Generate_ReturnsPrefixedBase64UrlOfAtLeast32Bytes()
    {
        var key = ApiKeys.Generate();

        Assert.StartsWith("m0-", key);
        Assert.Matches("^m0-[A-Za-z0-9_-]{43}$", key);
        Assert.NotEqual(key, ApiKeys.Generate());
    }

    [Fact]
    public void Hash_IsLowerHexSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.Hash("abc"));
    }

    [Fact]
    public void CreateRecord_StoresHashAndPrefixNeverTheKey()
    {
        var now = DateTimeOffset.UtcNow;
        var project = new Project { OrgId = "o", ProjectId = "p", Name = "n", CreatedAt = now, UpdatedAt = now };
        var key = ApiKeys.Generate();

        var record = ApiKeys.CreateRecord(project, key, "name", now);

        Assert.Equal(ApiKeys.Hash(key), record.KeyHash);
        Assert.DoesNotContain(key, record.ToString(), StringComparison.Ordinal);
        Assert.StartsWith(record.Prefix.TrimEnd('…'), key, StringComparison.Ordinal);
    }
}
