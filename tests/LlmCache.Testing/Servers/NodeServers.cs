using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace LlmCache.Testing.Servers;

/// <summary>What the fixtures of the test servers that run under node (s3rver, azurite) share.</summary>
public static class NodeServers
{
    /// <summary>
    /// The path of <paramref name="script"/> in the npm package <paramref name="package"/>, installed by the test
    /// command into <c>.tools/{package}</c> under <paramref name="repositoryRoot"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The package is missing; the message says how to install it, so the tests fail rather than skip.</exception>
    public static string FindScript(string repositoryRoot, string package, string version, string script, string tests)
    {
        string path = Path.Combine(repositoryRoot, ".tools", package, "node_modules", package, script);
        if (!File.Exists(path))
        {
            string ci = Environment.GetEnvironmentVariable("CI") == "true" ? " The test command (CI=true) must install it." : string.Empty;
            throw new InvalidOperationException(
                $"{tests} tests need {package} {version} at {path}, and it is missing.{ci} Install it from the repository root with: tests/servers/install.sh {package}");
        }

        // The fixture names the version it was written against; tests/servers/{package}/package-lock.json names the
        // one installed. A bump of one without the other fails here rather than as an odd protocol error later.
        string manifest = Path.Combine(repositoryRoot, ".tools", package, "node_modules", package, "package.json");
        using (JsonDocument installed = JsonDocument.Parse(File.ReadAllBytes(manifest)))
        {
            string? installedVersion = installed.RootElement.GetProperty("version").GetString();
            if (installedVersion != version)
            {
                throw new InvalidOperationException(
                    $"{tests} tests were written against {package} {version}, but {installedVersion} is installed in .tools/{package}. Run tests/servers/install.sh {package}, or change the fixture and tests/servers/{package} together.");
            }
        }

        return path;
    }

    /// <summary>Whether node itself is missing: then no other port would help a server start.</summary>
    public static bool IsNodeMissing()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            node?.WaitForExit();
            return node is null;
        }
        catch (Win32Exception)
        {
            return true;
        }
    }

    /// <summary>Whether something accepts TCP connections on 127.0.0.1 at <paramref name="port"/>.</summary>
    public static bool AcceptsConnections(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (Exception)
        {
            // Whatever the failure, the server does not answer yet.
            return false;
        }
    }
}
