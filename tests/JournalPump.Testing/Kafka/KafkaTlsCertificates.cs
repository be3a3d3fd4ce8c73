using System.Diagnostics;
using System.Security.Cryptography;

namespace JournalPump.Testing.Kafka;

/// <summary>
/// A throw-away PKI made with the <c>openssl</c> command line (ECDSA P-256, valid 2 days), in a fresh
/// directory deleted on dispose: a test CA; a server certificate for <c>localhost</c> and 127.0.0.1
/// (subjectAltName DNS and IP) signed by it; a client certificate signed by it; and an unrelated CA
/// with a client certificate of its own, for "wrong CA" tests. All files are PEM; keys are unencrypted
/// PKCS#8.
/// </summary>
public sealed class KafkaTlsCertificates : IDisposable
{
    private KafkaTlsCertificates(string directory) => Directory = directory;

    /// <summary>The directory holding the files.</summary>
    public string Directory { get; }

    /// <summary>The test CA's certificate: what clients trust (<c>ssl.ca.location</c>) and what the TLS front verifies client certificates against.</summary>
    public string CaPath => Path.Combine(Directory, "ca.pem");

    /// <summary>The server certificate (CN=localhost, SAN DNS:localhost, IP:127.0.0.1), signed by <see cref="CaPath"/>.</summary>
    public string ServerCertificatePath => Path.Combine(Directory, "server.pem");

    /// <summary>The server certificate's private key.</summary>
    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>A client certificate (CN=journalpump-test-client, extendedKeyUsage clientAuth) signed by <see cref="CaPath"/>.</summary>
    public string ClientCertificatePath => Path.Combine(Directory, "client.pem");

    /// <summary>The client certificate's private key.</summary>
    public string ClientKeyPath => Path.Combine(Directory, "client.key");

    /// <summary>An unrelated CA's certificate: a client trusting only this one rejects the server.</summary>
    public string WrongCaPath => Path.Combine(Directory, "wrong-ca.pem");

    /// <summary>A client certificate signed by the unrelated CA: the TLS front rejects it.</summary>
    public string WrongClientCertificatePath => Path.Combine(Directory, "wrong-client.pem");

    /// <summary>The private key of <see cref="WrongClientCertificatePath"/>.</summary>
    public string WrongClientKeyPath => Path.Combine(Directory, "wrong-client.key");

    /// <summary>Generates the CAs, keys and certificates in a new directory under the temp directory.</summary>
    public static KafkaTlsCertificates Create()
    {
        string directory = Path.Combine(Path.GetTempPath(), "journalpump-kafka-tls-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var certificates = new KafkaTlsCertificates(directory);
        try
        {
            certificates.Generate();
            return certificates;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    private void Generate()
    {
        NewCa("ca", "JournalPump Test CA");
        NewLeaf("server", "localhost", "ca",
            "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        NewLeaf("client", "journalpump-test-client", "ca", "extendedKeyUsage=clientAuth\n");

        NewCa("wrong-ca", "Unrelated Test CA");
        NewLeaf("wrong-client", "journalpump-test-client", "wrong-ca", "extendedKeyUsage=clientAuth\n");

        foreach (string leftover in System.IO.Directory.EnumerateFiles(Directory, "*.csr").Concat(System.IO.Directory.EnumerateFiles(Directory, "*.ext")))
        {
            File.Delete(leftover);
        }
    }

    private void NewCa(string name, string commonName) =>
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + commonName,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private void NewLeaf(string name, string commonName, string ca, string extensions)
    {
        Openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        File.WriteAllText(Path.Combine(Directory, name + ".ext"),
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n" + extensions);
        Openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
            "-set_serial", "0x" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), "-days", "2",
            "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void Openssl(params string[] arguments)
    {
        var psi = new ProcessStartInfo("openssl")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Directory,
        };
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start openssl (Debian package openssl)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}");
        }
    }

    /// <summary>Deletes the directory with every key and certificate.</summary>
    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
