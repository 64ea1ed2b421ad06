import net.jxta.document.AdvertisementFactory;
import net.jxta.endpoint.Message;
import net.jxta.endpoint.MessageElement;
import net.jxta.id.IDFactory;
import net.jxta.peergroup.PeerGroup;
import net.jxta.pipe.PipeID;
import net.jxta.pipe.PipeService;
import net.jxta.platform.NetworkConfigurator;
import net.jxta.platform.NetworkManager;
import net.jxta.protocol.PipeAdvertisement;

import java.io.File;
import java.net.URI;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * gojxta's own JXSE 2.6 test peer (internal/jxsepeer): an edge that listens
 * on a pipe whose ID it is given (-Dlisten=urn:jxta:uuid-...04,
 * -DpipeType, -DpipeName), so that several JXSE peers can listen on one
 * pipe, which ../shared/jxse/jxse-peer cannot do (it listens only on a
 * pipe it makes). Other options as jxse-peer's: name, port, host, home,
 * seed, expect, timeout, stay, log. Prints STARTED, RDV CONNECTED,
 * LISTENING, a RECEIVED line per application element, EXPECTED or NOT
 * RECEIVED, then DONE or FAILED n.
 */
public class JxseListener {
    static String prop(String k, String d) { String v = System.getProperty(k); return v == null || v.isEmpty() ? d : v; }

    public static void main(String[] args) throws Exception {
        System.setProperty("net.jxta.logging.Logging", prop("log", "SEVERE"));
        String home = prop("home", null);
        if (home == null) { System.err.println("JxseListener: -Dhome=DIR is required"); System.exit(2); }
        long deadline = System.currentTimeMillis() + Long.parseLong(prop("timeout", "30000"));
        int failed = 0;
        int port = Integer.parseInt(prop("port", "9801"));
        String host = prop("host", "127.0.0.1");

        NetworkManager nm = new NetworkManager(NetworkManager.ConfigMode.EDGE, prop("name", "listener"), new File(home).toURI());
        NetworkConfigurator c = nm.getConfigurator();
        c.setTcpPort(port); c.setTcpEnabled(true); c.setTcpIncoming(true); c.setTcpOutgoing(true);
        c.setHttpEnabled(false);
        c.setTcpInterfaceAddress(host); c.setTcpPublicAddress(host + ":" + port, true);
        c.setUseMulticast(false);
        String seed = prop("seed", null);
        if (seed != null) for (String s : seed.split(",")) c.addSeedRendezvous(new URI(s));
        PeerGroup npg = nm.startNetwork();
        System.out.println("STARTED " + npg.getPeerID() + " " + npg.getPeerName());
        System.out.flush();
        if (seed != null) {
            boolean ok = nm.waitForRendezvousConnection(Math.max(1, deadline - System.currentTimeMillis()));
            System.out.println("RDV CONNECTED " + ok);
            System.out.flush();
        }

        PipeAdvertisement pa = (PipeAdvertisement) AdvertisementFactory.newAdvertisement(PipeAdvertisement.getAdvertisementType());
        pa.setPipeID((PipeID) IDFactory.fromURI(new URI(prop("listen", ""))));
        pa.setType(prop("pipeType", PipeService.PropagateType));
        pa.setName(prop("pipeName", "pipe"));
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<String>();
        npg.getPipeService().createInputPipe(pa, ev -> {
            Message m = ev.getMessage();
            Iterator<MessageElement> it = m.getMessageElements();
            while (it.hasNext()) {
                MessageElement el = it.next();
                String n = el.getElementName();
                if (n.startsWith("Endpoint") || n.startsWith("RendezVous") || n.startsWith("JxtaWire")) continue;
                String line = n + "=" + el.toString();
                System.out.println("RECEIVED " + line);
                System.out.flush();
                received.add(line);
            }
        });
        System.out.println("LISTENING " + pa.getPipeID());
        System.out.flush();

        String expect = prop("expect", null);
        if (expect != null) {
            boolean got = false;
            while (!got && System.currentTimeMillis() < deadline) {
                String line = received.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (line != null && line.contains(expect)) got = true;
            }
            System.out.println(got ? "EXPECTED " + expect : "NOT RECEIVED " + expect);
            if (!got) failed++;
            System.out.flush();
        }
        long stay = Long.parseLong(prop("stay", "0"));
        if (stay > 0) Thread.sleep(stay);
        nm.stopNetwork();
        System.out.println(failed == 0 ? "DONE" : "FAILED " + failed);
        System.out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }
}
