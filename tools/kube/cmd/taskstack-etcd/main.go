// Command taskstack-etcd starts a single-member etcd, listening on loopback only, for the
// kube-apiserver that scripts/kube-apiserver-check.sh runs. It stops on SIGINT or SIGTERM.
package main

import (
	"flag"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	dir := flag.String("data-dir", "", "data directory (required)")
	client := flag.String("client-url", "http://127.0.0.1:2379", "client URL (loopback)")
	peer := flag.String("peer-url", "http://127.0.0.1:2380", "peer URL (loopback)")
	flag.Parse()
	if *dir == "" {
		log.Fatal("taskstack-etcd: --data-dir is required")
	}
	cfg := embed.NewConfig()
	cfg.Name = "taskstack"
	cfg.Dir = *dir
	cfg.LogLevel = "warn"
	c, err := url.Parse(*client)
	if err != nil {
		log.Fatalf("taskstack-etcd: --client-url: %v", err)
	}
	p, err := url.Parse(*peer)
	if err != nil {
		log.Fatalf("taskstack-etcd: --peer-url: %v", err)
	}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*c}, []url.URL{*c}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*p}, []url.URL{*p}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		log.Fatalf("taskstack-etcd: %v", err)
	}
	defer e.Close()
	<-e.Server.ReadyNotify()
	log.Printf("taskstack-etcd: ready on %s", c)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-stop:
		log.Printf("taskstack-etcd: %v, stopping", s)
	case err := <-e.Err():
		log.Fatalf("taskstack-etcd: %v", err)
	}
}
