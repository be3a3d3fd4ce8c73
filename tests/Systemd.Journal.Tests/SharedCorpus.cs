using JournalPump.Testing;

namespace Systemd.Journal.Tests;

/// <summary>
/// The large corpus, built once for the assembly: 104,000 generated entries in four journal files,
/// plus one entry with a field over 1 MiB, all with strictly rising timestamps.
/// </summary>
[SetUpFixture]
public sealed class SharedCorpus
{
    public const int FileCount = 4;
    public const int EntriesPerFile = 26_000;
    public const int HugeIndex = FileCount * EntriesPerFile;
    public const int TotalEntries = HugeIndex + 1;

    private static readonly Lazy<JournalFileBuilder> LazyBuilder = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory => LazyBuilder.Value.Directory;

    /// <summary>The entry with generation index <paramref name="index"/>, as written.</summary>
    public static ExportEntry Expected(int index) => index == HugeIndex ? TestCorpus.Huge(HugeIndex) : TestCorpus.Entry(index);

    private static JournalFileBuilder Build()
    {
        var builder = new JournalFileBuilder("corpus");
        for (int f = 0; f < FileCount; f++)
        {
            var entries = TestCorpus.Generate(f * EntriesPerFile, EntriesPerFile);
            if (f == FileCount - 1)
            {
                entries = entries.Append(TestCorpus.Huge(HugeIndex));
            }

            builder.Add(entries, $"corpus-{f}.journal");
        }

        return builder;
    }

    [OneTimeTearDown]
    public void DeleteCorpus()
    {
        if (LazyBuilder.IsValueCreated)
        {
            LazyBuilder.Value.Dispose();
        }
    }
}
